from chalice import Chalice

app = Chalice(app_name='kinesis')


@app.on_kinesis_record(stream='my-stream', batch_size=10, starting_position='TRIM_HORIZON')
def handle_kinesis(event):
    for record in event:
        print(record.data)
