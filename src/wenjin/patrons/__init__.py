"""Patrons: one reader card for the whole network (一卡通).

Categories and their policies, resident-ID validation, card loss and
replacement, blocks, deposits or credit-based waivers (信易阅), and the privacy
of personal data: an ID number is kept only as a keyed hash and a masked form.
"""
