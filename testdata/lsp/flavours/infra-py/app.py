#!/usr/bin/env python3
import aws_cdk as cdk

from builtin_stack import BuiltinStack
from cdkchalice_stack import LegacyStack
from two_stack import TwoStack

app = cdk.App()
BuiltinStack(app, 'web')
LegacyStack(app, 'web')
TwoStack(app, 'two')
app.synth()
