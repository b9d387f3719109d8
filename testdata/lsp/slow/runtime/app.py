# A Chalice app whose import hangs, for tests of a packaging run that is still
# in flight. At import it starts a child process, records both pids in
# $MARKER_FILE (written atomically), then sleeps: `chalice package` only ends
# when it is killed. The handlers below the sleep are never registered at
# package time, but static analysis (predicted logical IDs) sees them.
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


@app.route('/')
def index():
    return {'hello': 'world'}


@app.schedule('rate(1 hour)')
def hourly(event):
    return None
