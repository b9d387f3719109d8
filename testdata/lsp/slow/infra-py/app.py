#!/usr/bin/env python3
import aws_cdk as cdk

from stacks import SlowStack

app = cdk.App()
SlowStack(app, 'slow')
app.synth()
