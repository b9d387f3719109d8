# Test app for a missing opt-in: websockets are an experimental feature, and
# chalice refuses to package them without app.experimental_feature_flags.
from chalice import Chalice

app = Chalice(app_name='ws_no_flag')



@app.on_ws_message()
def message(event):
    pass
