print("service a")
