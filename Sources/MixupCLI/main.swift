print("mixup: not yet implemented")
