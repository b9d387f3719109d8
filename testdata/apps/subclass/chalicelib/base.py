import chalice


class TracedChalice(chalice.Chalice):
    """A Chalice app that logs each invocation."""

    def __call__(self, event, context):
        self.log.info('invoked')
        return super().__call__(event, context)
