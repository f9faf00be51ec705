print("service b")
