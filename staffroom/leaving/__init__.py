"""Leaving the network: the data export and account deletion, both registries."""
