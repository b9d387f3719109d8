from chalice import Chalice

app = Chalice(app_name='cwevent')


@app.on_cw_event({'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification']})
def on_ec2(event):
    pass


@app.on_cw_event({'source': ['aws.codecommit']}, name='code_commit')
def commits(event):
    pass
