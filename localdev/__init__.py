"""Helpers for running Productshot on one machine: fakes of outside services."""
