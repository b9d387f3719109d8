from chalice import Chalice

app = Chalice(app_name='sns')

TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:alerts'


@app.on_sns_message(topic='my-topic')
def handle_sns(event):
    pass


@app.on_sns_message(topic=TOPIC_ARN, name='alerts')
def handle_alerts(event):
    pass
