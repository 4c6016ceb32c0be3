"""Operator commands (run by hand or from a runbook), not long-running services."""
