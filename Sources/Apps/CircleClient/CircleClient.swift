// CircleClient module
