GREETING = 'hello'
