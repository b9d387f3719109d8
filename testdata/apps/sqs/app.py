from chalice import Chalice

app = Chalice(app_name='sqs')


@app.on_sqs_message(queue='my-queue', batch_size=5)
def handle_sqs(event):
    for record in event:
        print(record.body)


@app.on_sqs_message(queue_arn='arn:aws:sqs:us-east-1:123456789012:other',
                    maximum_batching_window_in_seconds=10,
                    maximum_concurrency=5)
def handle_other_queue(event):
    pass
