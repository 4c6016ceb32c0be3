"""The AWS adapters: the only modules that touch the SDK and its errors.

Each implements one port (``services/common/job_store.py``, ``events.py``, ``job_files.py``,
``work_queue.py``, ``parameters.py``) on an aiobotocore client the entry point owns, and
turns every SDK failure into the project's own errors (``services/common/errors.py``) once.
"""
