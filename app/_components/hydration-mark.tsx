'use client';
/**
 * Marks the page as hydrated (`<html data-hydrated>`), so browser tests act only once React
 * handles the forms; before that a click would post the form the old way.
 */
import { useEffect } from 'react';

export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = '1';
  }, []);
  return null;
}
