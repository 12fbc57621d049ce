"""Holds (预约): title and item holds, targeting the best copy, capture, the hold shelf."""
