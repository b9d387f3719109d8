from chalice import Chalice

app = Chalice(app_name='s3events')


@app.on_s3_event(bucket='my-bucket')
def handle_upload(event):
    print(event.key)
