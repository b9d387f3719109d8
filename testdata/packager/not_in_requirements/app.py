from chalice import Chalice

from chalicelib import billing

app = Chalice(app_name='not-in-requirements')


@app.lambda_function()
def charge(event, context):
    return billing.charge(event)
