"""gunicorn settings, read by gunicorn from the folder it starts in (``make run``, ``make
serve``, the systemd unit of the README and ``scripts/bench_scale.py`` all start it here);
the worker count, address and timeout are given on the command line.

Each worker process runs four threads (``gthread``) rather than one request at a time
(``sync``): a thread waiting on the database or sending a 260 kB ward page to a slow
client leaves the process's other threads to work, and a client keeps its connection open
between requests (HTTP keep-alive) instead of connecting for each one. Pages are built by
Python, which runs one thread of a process at a time, so more threads add waiting, not
speed; the caches the threads share are safe with threads
(:class:`service.readmodels.cache.VersionCache`).
"""

worker_class = "gthread"
threads = 4
