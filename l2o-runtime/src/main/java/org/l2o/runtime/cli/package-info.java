/** The {@code l2o} command line (picocli), composed with Guice. */
package org.l2o.runtime.cli;
