from chalicelib.api import api


@api.lambda_function()
def purge(event, context):
    return {}


@api.schedule('rate(1 day)', name='nightly_cleanup')
def cleanup(event):
    return None
