"""What every implementation of a port promises: one suite per port.

Each suite is a class whose tests use a ``make`` fixture the subclass provides: the
in-memory fake (tests/unit/test_port_contracts.py) or the AWS adapter on the local AWS
(tests/integration/test_adapter_contracts.py). Both must pass the same tests.
"""
