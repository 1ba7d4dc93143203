// CirclesCore module
