#!/usr/bin/env python3
import aws_cdk as cdk

from stacks import WebStack

app = cdk.App()
WebStack(app, 'web')
app.synth()
