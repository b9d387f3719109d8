from chalicelib.base import TracedChalice


class LocalApp(TracedChalice):
    def describe(self):
        return self.app_name


app = LocalApp(app_name='subclass')


@app.lambda_function()
def traced_handler(event, context):
    return app.describe()


@app.on_cw_event({'source': ['aws.ec2']})
def on_ec2(event):
    return None
