from chalice import Chalice

app = Chalice(app_name='dynamodb')


@app.on_dynamodb_record(
    stream_arn='arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2020-01-01T00:00:00.000',
    batch_size=50,
)
def handle_ddb(event):
    for record in event:
        print(record.new_image)
