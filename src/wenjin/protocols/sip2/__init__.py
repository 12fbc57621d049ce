"""SIP2 (3M Standard Interchange Protocol 2.00) for self-check machines and the 24-hour library.

``codec`` reads and writes frames; ``kiosks`` keeps the kiosk accounts; ``adapter``
is the ILS adapter over the same service functions the desk uses; ``transactions``
has one small function per message; ``server`` is the asyncio TCP server.
"""
