package org.l2o.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * What travels to a worker: a task kind and its description, both written by l2o
 * ({@link org.l2o.api.update.RemoteTask}); Hazelcast carries them as an identified record, so no
 * Java serialization of l2o's classes is involved. The worker answers with the encoded result.
 */
final class RemoteRollout implements Callable<byte[]>, IdentifiedDataSerializable {

    /** Hazelcast's factory id for l2o's records, and this record's id in it. */
    static final int FACTORY = 0x6c326f;
    static final int ID = 1;

    private String kind;
    private byte[] description;

    /** For Hazelcast's factory. */
    RemoteRollout() {
    }

    RemoteRollout(String kind, byte[] description) {
        this.kind = kind;
        this.description = description;
    }

    @Override
    public byte[] call() {
        return Worker.run(kind, description);
    }

    @Override
    public int getFactoryId() {
        return FACTORY;
    }

    @Override
    public int getClassId() {
        return ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(kind);
        out.writeByteArray(description);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        kind = in.readString();
        description = in.readByteArray();
    }
}
