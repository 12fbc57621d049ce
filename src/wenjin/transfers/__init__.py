"""Transfers (调拨): manual transfers, cancelled and lost transits, courier manifests."""
