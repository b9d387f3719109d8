import json

import acme_billing


def charge(event):
    return json.dumps(acme_billing.charge(event['amount']))
