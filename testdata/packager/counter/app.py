# Test app: every import appends a line to $COUNT_FILE, so a test can count how
# many times chalice really ran (chalice imports app.py once per package run).
import os

from chalice import Chalice

with open(os.environ['COUNT_FILE'], 'a') as f:
    f.write('imported\n')

app = Chalice(app_name='counter')


@app.lambda_function()
def handler(event, context):
    return event
