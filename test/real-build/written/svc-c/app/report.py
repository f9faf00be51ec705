print("service c")
