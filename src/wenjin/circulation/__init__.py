"""Circulation: checkout, checkin, renew, the policy matrix, transits and the circulation log."""
