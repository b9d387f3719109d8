"""A vendored package, so that automatic_layer has something to put in the layer."""


def greet(name):
    return 'hello, %s' % name
