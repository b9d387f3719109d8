from chalice import Chalice, Rate, Cron

app = Chalice(app_name='schedule')


@app.schedule('rate(5 minutes)')
def every_five(event):
    pass


@app.schedule(Rate(1, unit=Rate.HOURS), name='hourly-job')
def hourly(event):
    pass


@app.schedule(Cron(0, 10, '*', '*', '?', '*'), description='daily')
def daily_report(event):
    pass
