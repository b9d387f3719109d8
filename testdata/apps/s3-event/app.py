from chalice import Chalice

app = Chalice(app_name='s3-event')


@app.on_s3_event(bucket='uploads', events=['s3:ObjectCreated:*'], suffix='.csv')
def handle_upload(event):
    print(event.bucket, event.key)
