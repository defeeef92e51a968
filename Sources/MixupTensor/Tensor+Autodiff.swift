extension Tensor {
    /// Wraps the result of an operation, recording one pullback per tracked input.
    ///
    /// Untracked inputs are skipped, so constants cost nothing in the backward pass; when no input is tracked (or
    /// recording is off) the result is a constant.
    @inline(__always)
    static func recording(
        _ shape: [Int], _ scalars: [Float], _ inputs: [(Tensor, (Tensor) -> Tensor)]
    ) -> Tensor {
        // Inside `withoutGradients` nothing is recorded, even for inputs that were tracked before recording was
        // turned off (ops that skip the `needsRecord` fast path still rely on this).
        if GradientMode.isDisabled { return Tensor(shape: shape, scalars: scalars, node: nil) }
        var edges: [GradNode.Edge] = []
        for (input, pullback) in inputs {
            if let node = input.node { edges.append(GradNode.Edge(parent: node, pullback: pullback)) }
        }
        if edges.isEmpty { return Tensor(shape: shape, scalars: scalars, node: nil) }
        return Tensor(shape: shape, scalars: scalars, node: GradNode(edges: edges))
    }

    /// Whether any of `inputs` needs a graph record (and recording is on).
    @inline(__always)
    static func needsRecord(_ inputs: Tensor...) -> Bool {
        if GradientMode.isDisabled { return false }
        for input in inputs where input.node != nil { return true }
        return false
    }

    /// Back-propagates from this scalar: accumulates d(self)/d(parameter) into every reachable ``Parameter``.
    ///
    /// - Precondition: the tensor has exactly one element.
    /// - Complexity: one pass over the recorded graph in reverse topological order.
    public func backward() {
        precondition(count == 1, "backward(): only a scalar can be back-propagated, got shape \(shape)")
        backward(seed: Tensor(shape: shape, scalars: [1]))
    }

    /// Back-propagates `seed` (the gradient of some scalar with respect to this tensor).
    ///
    /// - Precondition: `seed.shape == shape`.
    public func backward(seed: Tensor) {
        precondition(
            seed.shape == shape, "backward(seed:): seed shape \(seed.shape) differs from tensor shape \(shape)")
        guard let root = node else { return }
        // Iterative depth-first post-order gives a topological order without recursion limits.
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (current, edgeIndex) = stack.popLast() {
            if edgeIndex < current.edges.count {
                stack.append((current, edgeIndex + 1))
                let parent = current.edges[edgeIndex].parent
                if visited.insert(ObjectIdentifier(parent)).inserted { stack.append((parent, 0)) }
            } else {
                order.append(current)
            }
        }
        root.gradient = seed.detached()
        withoutGradients {
            for current in order.reversed() {
                guard let gradient = current.gradient else { continue }
                current.gradient = nil
                if let parameter = current.parameter {
                    parameter.accumulate(gradient)
                    continue
                }
                for edge in current.edges {
                    let contribution = edge.pullback(gradient)
                    if var existing = edge.parent.gradient {
                        // Take the accumulator out of the node first so that its buffer is uniquely referenced and
                        // the sum is formed in place.
                        edge.parent.gradient = nil
                        addArraysInPlace(&existing.scalars, contribution.scalars)
                        edge.parent.gradient = existing
                    } else {
                        edge.parent.gradient = contribution
                    }
                }
            }
        }
    }
}

/// Gradients of a scalar with respect to arbitrary tracked inputs, for tests and custom training steps.
///
/// Each input is made a fresh leaf; `function` is evaluated on them and differentiated.
/// - Returns: the value of `function` and one gradient per input (zeros where the output does not depend on it).
public func valueWithGradients(
    at inputs: [Tensor], of function: ([Tensor]) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
    let parameters = inputs.map { Parameter($0) }
    let value = function(parameters.map(\.tracked))
    value.backward()
    let gradients = parameters.map { $0.gradient ?? Tensor.zeros($0.value.shape) }
    return (value.detached(), gradients)
}
