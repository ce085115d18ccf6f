package io.jenkins.plugins.ecsdeploy.plugin.harness;

import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.converters.collections.CollectionConverter;
import com.thoughtworks.xstream.io.xml.StaxDriver;
import com.thoughtworks.xstream.mapper.Mapper;
import java.util.Collection;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real XStream 1.4.21 configured the way our persisted classes meet it in Jenkins (build.xml, a job's
 * config.xml, a global configuration's XML): no constructor and no field initialiser runs on load, a missing element
 * stays null, {@code readResolve()} runs; and {@code CopyOnWriteArrayList} is written and read as a plain collection,
 * which core does with its RobustCollectionConverter
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/util/XStream2.java:317) — plain XStream on Java 17
 * would need reflective access into the JDK for it.
 */
public final class JenkinsXStream {
    private JenkinsXStream() {}

    public static XStream create() {
        XStream x = new XStream(new StaxDriver());
        x.allowTypesByWildcard(new String[] {"io.jenkins.plugins.**", "hudson.**", "jenkins.**", "org.jenkinsci.**", "java.**"});
        x.registerConverter(new CopyOnWriteListConverter(x.getMapper()), XStream.PRIORITY_VERY_HIGH);
        return x;
    }

    /** Like core's RobustCollectionConverter for the one collection type our actions use. */
    static final class CopyOnWriteListConverter extends CollectionConverter {
        CopyOnWriteListConverter(Mapper mapper) {
            super(mapper);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public boolean canConvert(Class type) {
            return type == CopyOnWriteArrayList.class;
        }

        @Override
        protected Object createCollection(Class type) {
            return new CopyOnWriteArrayList<>();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected void addCurrentElementToCollection(com.thoughtworks.xstream.io.HierarchicalStreamReader reader,
                com.thoughtworks.xstream.converters.UnmarshallingContext context, Collection collection, Collection target) {
            target.add(readItem(reader, context, collection));
        }
    }

    /**
     * One configured instance for all writes, as core keeps static ones for its files (e.g. the public static final
     * {@code XSTREAM2} of jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Items.java): XStream marshals
     * thread-safely once set up, and building one per write would make the harness, not the plugin, the cost of a save.
     */
    private static final XStream SHARED = create();

    public static String toXml(Object o) {
        return SHARED.toXML(o);
    }

    public static Object fromXml(String xml) {
        return create().fromXML(xml);
    }
}
