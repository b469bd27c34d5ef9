"""The metrics-at-scale data generator behind ``bench/gen_demands.py`` (whose docstring says what it does).

- ``cli``: the command line, the run from start to summary.
- ``city``: the city's data and ``build_city`` (through the org and dispatch services).
- ``texts``: what demands and replies say, demand types and channels.
- ``timing``: the working-day calendar (``FastCalendar``) and the registration times.
- ``rows``: the row layouts, the demand/assignment/extension records, event payload JSON.
- ``life``: ``Batch``, one batch of demands played forward (registration, the event loop, the SLA
  sweep, the rows), with the steps of ``intake``, ``handling`` and ``closing`` mixed in.
- ``load``: id counters shared by the workers, COPY/INSERT of a batch, ``run_batch`` (the worker).
- ``schema``: PostgreSQL indexes and keys dropped for the load and recreated.
- ``checks``: the invariant queries.
"""
