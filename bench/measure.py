#!/usr/bin/env python3
"""measure.py CMD... - runs CMD, then prints one line:
wall=<s> cpu=<s> maxrss_mb=<MB> rc=<status>
(CPU and peak memory of the child, from getrusage)."""
import resource
import subprocess
import sys
import time

t0 = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("wall=%.3f cpu=%.3f maxrss_mb=%.1f rc=%d" % (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, rc))
