/** The lesson the package tests share: two checkpoints (a number at 0.5 s, yes or no at 1 s). */
/** Its title and description are for an XML writer to escape. */
export const LESSON = `id: lesson-fixture
title: Retries <hide> a "flaky" pod & more
description: Tests the manifest's escaping.
seed: 7
duration: 2s
services:
  - name: productpage
  - name: reviews
    replicas: 2
traffic:
  - from: productpage
    to: reviews
    rate: 10/s
faults:
  - pod: reviews-1
    errors: { status: 503, rate: 50% }
checkpoints:
  - at: 500ms
    question: How many retries so far?
    measure: retries
    answer: number
  - at: 1s
    question: Will productpage see any 503?
    measure: client-errors
    from: productpage
`;
