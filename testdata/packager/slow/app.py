# Test app for cancellation: at import it starts a child process, records both
# pids in $MARKER_FILE, then hangs. A cancelled or timed-out package run must kill
# the interpreter and the child.
import os
import subprocess
import time

from chalice import Chalice

child = subprocess.Popen(['sleep', '300'])
tmp = os.environ['MARKER_FILE'] + '.tmp'
with open(tmp, 'w') as f:
    f.write('%d %d\n' % (os.getpid(), child.pid))
os.rename(tmp, os.environ['MARKER_FILE'])
time.sleep(300)

app = Chalice(app_name='slow')
