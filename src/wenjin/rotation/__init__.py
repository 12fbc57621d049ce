"""Rotating collections (流动站 / 农家书屋): batches of items lent to a station for a period."""
