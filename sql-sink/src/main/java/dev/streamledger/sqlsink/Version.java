package dev.streamledger.sqlsink;

/** The plugin's version, as its jar's manifest says (or "unknown" when run from classes). */
final class Version {

  static final String OF_PLUGIN = orUnknown(Version.class.getPackage().getImplementationVersion());

  private Version() {}

  private static String orUnknown(String version) {
    return version == null ? "unknown" : version;
  }
}
