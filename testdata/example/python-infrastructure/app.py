#!/usr/bin/env python3
"""The reference: this example deployed with Chalice's own construct (chalice.cdk.Chalice).

It is Chalice's ``cdk-ddb`` project template (``chalice new-project -t cdk-ddb``) for
CDK v2, kept next to the Go version in ../infrastructure so that the two can be
synthesized side by side (the construct's differential test and testdata/example/bench.sh).
"""
import aws_cdk as cdk

from stacks.chaliceapp import ChaliceApp

app = cdk.App()
ChaliceApp(app, 'chalice-example')

app.synth()
