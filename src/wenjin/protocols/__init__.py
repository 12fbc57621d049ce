"""Library protocols (SIP2, SRU, OAI-PMH): codec + server + adapter to the domain services."""
