# Test app for a module next to app.py: Chalice deploys only app.py, chalicelib/
# and vendor/, so helpers.py would be missing in Lambda.
from chalice import Chalice

import helpers

app = Chalice(app_name='root_module')


@app.route('/')
def index():
    return {'greeting': helpers.GREETING}
