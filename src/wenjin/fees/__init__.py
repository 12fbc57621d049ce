"""Fees: overdue fines, lost and damaged items, payments, waivers, refunds, amnesty days.

Money is integer fen (分). A reader pays their oldest charges first, never more
than they owe; a waiver (减免) always has a reason; on an amnesty day
(特别还书日) fines for returns at the chosen points are waived. Every change to
money is written to the circulation log in the same transaction.
"""
