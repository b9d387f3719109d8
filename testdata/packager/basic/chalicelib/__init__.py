def greeting():
    return 'world'
