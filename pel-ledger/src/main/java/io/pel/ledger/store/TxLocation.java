package io.pel.ledger.store;

/** Where a committed transaction is: the height of its block and its position in that block. */
public record TxLocation(long height, int index) {

    public TxLocation {
        if (height < 0 || index < 0) {
            throw new IllegalArgumentException("height and index are ≥ 0: " + height + ", " + index);
        }
    }
}
