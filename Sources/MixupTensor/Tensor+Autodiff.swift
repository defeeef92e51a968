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
        _ = GradNode.reversePass(from: root, seed: seed, collecting: [], accumulatingIntoParameters: true)
    }
}

extension GradNode {
    /// The reverse pass shared by ``Tensor/backward(seed:)`` and ``valueWithGradients(at:accumulatingIntoParameters:of:)``.
    ///
    /// Propagates `seed` from `root` through the recorded graph in reverse topological order and returns the gradient
    /// that reached each node of `targets` (by identity; absent when none did). Parameter leaves accumulate their
    /// gradient only when `accumulatingIntoParameters`; otherwise the pass visits only nodes from which a target can
    /// be reached, so no pullback is spent on weight gradients nobody asked for.
    static func reversePass(
        from root: GradNode, seed: Tensor, collecting targets: [GradNode], accumulatingIntoParameters: Bool
    ) -> [ObjectIdentifier: Tensor] {
        let targetIDs = Set(targets.map(ObjectIdentifier.init))
        // Iterative depth-first post-order gives a topological order without recursion limits: a node is appended
        // after all of its parents.
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
        // The nodes whose gradient is needed: everything when parameters accumulate, else ancestors of targets.
        var needed: Set<ObjectIdentifier>? = nil
        if !accumulatingIntoParameters {
            var reaching = Set<ObjectIdentifier>()
            for current in order {
                let id = ObjectIdentifier(current)
                if targetIDs.contains(id)
                    || current.edges.contains(where: { reaching.contains(ObjectIdentifier($0.parent)) })
                {
                    reaching.insert(id)
                }
            }
            needed = reaching
        }
        var collected: [ObjectIdentifier: Tensor] = [:]
        root.gradient = seed.detached()
        withoutGradients {
            for current in order.reversed() {
                guard let gradient = current.gradient else { continue }
                current.gradient = nil
                let id = ObjectIdentifier(current)
                if targetIDs.contains(id) { collected[id] = gradient }
                if let parameter = current.parameter {
                    if accumulatingIntoParameters { parameter.accumulate(gradient) }
                    continue
                }
                for edge in current.edges {
                    if let needed, !needed.contains(ObjectIdentifier(edge.parent)) { continue }
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
        return collected
    }
}

/// The value of a scalar function and its gradient with respect to each of `inputs` — the one gradient API for any
/// tensor, not only parameters (input gradients for adversarial examples and VAT, gradient norms, tests).
///
/// Each input is detached and made a fresh leaf; `function` is evaluated on those leaves with gradient recording on
/// (even when called inside ``withoutGradients(_:)``) and differentiated.
///
/// - Parameters:
///   - inputs: the points; any shapes.
///   - accumulatingIntoParameters: whether the ``Parameter``s that `function` reads through ``Parameter/tracked``
///     (a model's weights) also receive their gradient, as ``Tensor/backward()`` would do. With `false` nothing
///     outside the returned gradients changes: every parameter's ``Parameter/gradient`` is left as it was, and the
///     backward pass skips the weight gradients entirely.
///   - function: maps the inputs to a one-element tensor.
/// - Returns: the value (detached) and one gradient per input, of the input's shape (zeros where the value does not
///   depend on it).
/// - Precondition: `function` returns a tensor with exactly one element.
public func valueWithGradients(
    at inputs: [Tensor], accumulatingIntoParameters: Bool, of function: ([Tensor]) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
    let leaves = inputs.map { _ in GradNode(edges: []) }
    let tracked = zip(inputs, leaves).map { Tensor(shape: $0.shape, scalars: $0.scalars, node: $1) }
    let value = GradientMode.$isDisabled.withValue(false) { function(tracked) }
    precondition(
        value.count == 1, "valueWithGradients: the function must return one element, got shape \(value.shape)")
    var collected: [ObjectIdentifier: Tensor] = [:]
    if let root = value.node {
        collected = GradNode.reversePass(
            from: root, seed: Tensor(shape: value.shape, scalars: [1]), collecting: leaves,
            accumulatingIntoParameters: accumulatingIntoParameters)
    }
    let gradients = zip(inputs, leaves).map { input, leaf in
        collected[ObjectIdentifier(leaf)] ?? Tensor.zeros(input.shape)
    }
    return (value.detached(), gradients)
}

/// Gradients of a scalar with respect to arbitrary inputs, for tests and custom training steps.
///
/// The same as ``valueWithGradients(at:accumulatingIntoParameters:of:)`` with `accumulatingIntoParameters: true`:
/// parameters read inside `function` accumulate their gradients too, as a training step's ``Tensor/backward()`` does.
/// - Returns: the value of `function` and one gradient per input (zeros where the output does not depend on it).
public func valueWithGradients(
    at inputs: [Tensor], of function: ([Tensor]) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
    valueWithGradients(at: inputs, accumulatingIntoParameters: true, of: function)
}

/// The gradient of a scalar function with respect to one input tensor, leaving every ``Parameter``'s gradient
/// untouched — e.g. `gradient(at: images) { x in softmaxCrossEntropy(logits: model(x, context: &c), …) }` for FGSM.
///
/// - Precondition: `function` returns a tensor with exactly one element.
/// - Returns: d function / d input, of the input's shape.
public func gradient(at input: Tensor, of function: (Tensor) -> Tensor) -> Tensor {
    valueWithGradients(at: [input], accumulatingIntoParameters: false) { function($0[0]) }.gradients[0]
}
