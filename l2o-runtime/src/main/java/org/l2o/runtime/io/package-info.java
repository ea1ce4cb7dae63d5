/** Output files: staged (atomic) output folders, Arrow trajectory files, CSV and JSON. */
package org.l2o.runtime.io;
